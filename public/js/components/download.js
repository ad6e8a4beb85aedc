// A file the API answers (behind the bearer token, so never a plain link): fetched as a blob,
// then saved under the name the server gives (Content-Disposition) or the one the screen knows.
import { api } from '../api.js';

export function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The file name of a Content-Disposition header (`filename*=UTF-8''…` first, then `filename="…"`). */
export function dispositionName(header) {
  if (!header) return null;
  const star = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(header);
  if (star) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(header);
  return plain ? plain[1].trim() : null;
}

export async function downloadFile(path, fallbackName) {
  const res = await api('GET', path, { raw: true });
  saveBlob(await res.blob(), dispositionName(res.headers.get('Content-Disposition')) ?? fallbackName);
}
