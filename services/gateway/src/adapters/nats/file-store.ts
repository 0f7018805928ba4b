import type { NatsConnection } from '@nats-io/nats-core';
import { type ObjectInfo, type ObjectStore, Objm, StorageType } from '@nats-io/obj';
import type { FileStore, StoredFile } from '../../application/files.ts';

/**
 * Uploads in a JetStream object store (one bucket per namespace), so any gateway replica serves
 * any file and nothing lives on a gateway's disk. Name = `<organization_id>/<file_id>`; the
 * description travels in the object's metadata.
 */
export async function createFileStore(
  connection: NatsConnection,
  bucket: string,
  options: { replicas?: number } = {},
): Promise<FileStore> {
  const store: ObjectStore = await new Objm(connection).create(bucket, {
    storage: StorageType.File,
    replicas: options.replicas ?? 1,
    description: 'Threadline uploaded files',
  });
  const key = (organizationId: string, fileId: string) => `${organizationId}/${fileId}`;

  return {
    async put(file, data) {
      await store.putBlob(
        {
          name: key(file.organizationId, file.id),
          metadata: {
            name: file.name,
            content_type: file.contentType,
            ...(file.width !== undefined ? { width: String(file.width) } : {}),
            ...(file.height !== undefined ? { height: String(file.height) } : {}),
          },
        },
        data,
      );
    },
    async info(organizationId, fileId) {
      const info = await store.info(key(organizationId, fileId));
      return info && !info.deleted ? toStoredFile(organizationId, fileId, info) : undefined;
    },
    async read(organizationId, fileId) {
      const result = await store.get(key(organizationId, fileId));
      if (!result || result.info.deleted) return undefined;
      return { file: toStoredFile(organizationId, fileId, result.info), data: result.data };
    },
  };
}

function toStoredFile(organizationId: string, fileId: string, info: ObjectInfo): StoredFile {
  const metadata = info.metadata ?? {};
  const number = (value: string | undefined) => (value === undefined ? undefined : Number(value));
  return {
    organizationId,
    id: fileId,
    name: metadata.name ?? fileId,
    contentType: metadata.content_type ?? 'application/octet-stream',
    size: info.size,
    width: number(metadata.width),
    height: number(metadata.height),
  };
}
