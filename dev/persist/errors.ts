// Why the dev backend refuses a data directory (or stops writing to it): one line that names the
// file and says what to do. It never holds a key or a stored value.
import { KeybridgeError } from "../../policy/errors/keybridge-error.ts";
export class DataDirError extends KeybridgeError {
  override readonly name = "DataDirError";

  constructor(message: string, options?: ErrorOptions) {
    super("KB_DEV_DATA_DIR", message, options);
  }
}
