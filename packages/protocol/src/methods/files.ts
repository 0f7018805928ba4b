import { z } from 'zod';
import { chatApis, defineMethods } from './define.ts';

/** A file as the Web API adapter reads it from the multipart field `file`. */
export const uploadedFile = z.object({
  name: z.string().max(1024),
  content_type: z.string().max(256),
  data: z.instanceof(Uint8Array),
  /** Where the gateway that took the upload is reached: the returned URL starts with it. */
  base_url: z.string().max(2048),
});
export type UploadedFile = z.infer<typeof uploadedFile>;

/** Files (spec §2, §3): the upload that precedes a `file` event. Web API only, multipart. */
export const fileMethods = defineMethods({
  upload_file: {
    owner: 'gateway',
    apis: chatApis,
    schema: z.object({ file: uploadedFile }, { error: 'the multipart field "file" is required' }),
  },
});
