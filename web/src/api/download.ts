// Files the API sends (CSV exports, PDF statements) fetched on the session and saved under the name the API
// gives them. Through fetch rather than a plain link, so the page can tell an error (an envelope) from a file
// and say so, instead of saving the error as the file.
import { ApiError } from './client.ts';
import { fileNameOf } from './contentDisposition.ts';

/** An error envelope (or nothing readable) as ApiError, as `unwrap` makes them for JSON calls. */
export async function responseError(response: Response): Promise<ApiError> {
  let envelope: unknown;
  try {
    envelope = await response.json();
  } catch {
    envelope = undefined;
  }
  const ok = typeof envelope === 'object' && envelope !== null && 'code' in envelope && 'name' in envelope;
  return new ApiError(response.status, ok ? (envelope as ConstructorParameters<typeof ApiError>[1]) : {});
}

/** Saves a response's file under the name its Content-Disposition gives, else `fallback`. */
export async function saveResponse(response: Response, fallback: string): Promise<string> {
  const name = fileNameOf(response.headers.get('content-disposition'), fallback);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  // After the click has handed the file over.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return name;
}

/** GETs `url` on the session and saves the file; answers the name it was saved under, or throws ApiError. */
export async function downloadFile(url: string, fallback: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, { name: 'networkError' });
  }
  if (!response.ok) throw await responseError(response);
  return saveResponse(response, fallback);
}
