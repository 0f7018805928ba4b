import type { MethodPayload } from '@threadline/protocol';
import { uploadFile } from '../files.ts';
import type { LocalMethodDependencies, LocalMethods } from './local-method.ts';

/** `upload_file` (agents and customers, Web API): stored in the organization's files. */
export function createFileMethods(dependencies: LocalMethodDependencies): LocalMethods {
  return {
    upload_file: async ({ identity, payload }) =>
      uploadFile(
        dependencies.files,
        dependencies.fileLinks,
        identity!.organizationId,
        (payload as MethodPayload<'upload_file'>).file,
      ),
  };
}
