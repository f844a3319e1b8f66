// Why the dev backend refuses a data directory (or stops writing to it): one line that names the
// file and says what to do. It never holds a key or a stored value.
export class DataDirError extends Error {
  override readonly name = "DataDirError";
}
