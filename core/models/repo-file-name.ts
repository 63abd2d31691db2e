// Whether a file name the hub lists is safe to write under a model folder on every OS Tandem
// targets. The hub's names are relative paths with `/` between folders; anything a filesystem
// could read as another folder, another drive, a device or a parent (`..\..\x` on Windows, `C:x`,
// control characters, `NUL`) is refused before a byte is written.

/** A control character (U+0000–U+001F, U+007F). */
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}
// Windows device names, with or without an extension (`nul.txt` is the device too).
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

/** Why `name` is not a safe repo file name, or null when it is. */
export function unsafeRepoFileName(name: string): string | null {
  if (name === '') return 'it is empty';
  if (hasControlCharacter(name)) return 'it holds a control character';
  if (name.includes('\\')) return 'it holds a backslash, a folder separator on Windows';
  if (name.includes(':')) return 'it holds a colon (a drive or stream on Windows)';
  if (name.startsWith('/')) return 'it is an absolute path';
  for (const part of name.split('/')) {
    if (part === '' || part === '.' || part === '..') return `it has a "${part || '(empty)'}" path segment`;
    if (/[. ]$/.test(part)) return `its segment "${part}" ends with a dot or space, which Windows drops`;
    if (WINDOWS_DEVICE.test(part)) return `its segment "${part}" is a Windows device name`;
  }
  return null;
}
