// An object as the storage fakes (S3, GCS) keep it.
export interface StoredObject {
  body: Buffer;
  contentType?: string;
  contentEncoding?: string;
  metadata: Record<string, string>;
}
