// What the hub says about one file: the listing's sizes and hashes, completed by a HEAD on the
// resolve URL (X-Linked-Etag is an LFS file's sha256, X-Linked-Size its size; a small file's ETag
// is its git blob sha1), read from the first response, not the CDN a redirect points to.

import type { RemoteFile } from './download-file.ts';
import { hubRequest, statusError, withRetries, type HubContext, type RetryPolicy } from './hub-http.ts';

export const HEX40 = /^[0-9a-f]{40}$/;
export const HEX64 = /^[0-9a-f]{64}$/;

function cleanEtag(value: string | null): string | null {
  if (!value) return null;
  return value.trim().replace(/^W\//, '').replace(/^"|"$/g, '').toLowerCase();
}

/** Fills in size and hashes from a HEAD on the resolve URL (what huggingface_hub reads too). */
export async function withHeadMetadata(
  remote: RemoteFile,
  request: Omit<Parameters<typeof hubRequest>[1], 'method' | 'follow'>,
  hub: HubContext,
  policy: RetryPolicy,
  signal: AbortSignal | undefined,
  onRetry: (attempt: number, delayMs: number, reason: string) => void,
): Promise<RemoteFile> {
  return withRetries(
    `reading the metadata of ${remote.name}`,
    async () => {
      const response = await hubRequest(remote.url, { ...request, method: 'HEAD', follow: 'same-origin' });
      response.discard();
      if (response.status === 405 || response.status === 501) return remote; // no HEAD: the listing has to do
      if (response.status >= 400) throw await statusError(response, hub, remote.name);
      const linkedEtag = cleanEtag(response.header('x-linked-etag'));
      const etag = cleanEtag(response.header('etag'));
      const linkedSize = Number(response.header('x-linked-size') ?? NaN);
      const redirected = response.status >= 300 && response.status < 400;
      const length = redirected ? NaN : Number(response.header('content-length') ?? NaN);
      const lfs = remote.lfs || (linkedEtag !== null && HEX64.test(linkedEtag));
      return {
        ...remote,
        lfs,
        size: remote.size ?? (Number.isInteger(linkedSize) ? linkedSize : Number.isInteger(length) ? length : null),
        sha256: remote.sha256 ?? (linkedEtag && HEX64.test(linkedEtag) ? linkedEtag : null),
        gitSha1: lfs ? null : (remote.gitSha1 ?? (etag && HEX40.test(etag) ? etag : null)),
      };
    },
    policy,
    signal,
    onRetry,
  );
}
