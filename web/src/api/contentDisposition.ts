// The file name a download is saved under, from the API's Content-Disposition header. No DOM here, so tests can
// import it.

/** The file name of a Content-Disposition header (filename*, else filename), or `fallback`. */
export function fileNameOf(contentDisposition: string | null, fallback: string): string {
  const header = contentDisposition ?? '';
  const star = /filename\*=(?:UTF-8'')?([^;]+)/i.exec(header);
  if (star) {
    try {
      return decodeURIComponent(star[1]!.trim().replace(/^"|"$/g, ''));
    } catch {
      // not percent-encoded properly: the plain parameter below
    }
  }
  return /filename="?([^";]+)"?/i.exec(header)?.[1] ?? fallback;
}
