// The Content-Disposition of a download (RFC 6266): always `attachment`, so a browser saves the file instead of
// showing it, with the name in `filename` as ASCII and, where that had to change it, exactly in `filename*`
// (UTF-8, RFC 5987).

/** Percent-encoded as RFC 5987 wants: encodeURIComponent leaves ' ( ) * as they are, which it does not allow. */
function encodeExtValue(value: string): string {
  return encodeURIComponent(value).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** `attachment; filename="…"`, and `filename*=UTF-8''…` where the name is not plain ASCII or has " or \. */
export function attachmentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return ascii === fileName
    ? `attachment; filename="${ascii}"`
    : `attachment; filename="${ascii}"; filename*=UTF-8''${encodeExtValue(fileName)}`;
}
