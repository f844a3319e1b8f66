// A token the user already has and hands over as it is (the Action's token input): checked by the
// backend, masked, never revoked by Keybridge, which did not create it.
import type { AuthMethod } from "./auth-method.ts";

export interface GivenTokenSettings {
  readonly token: string;
}

export const givenToken: AuthMethod<GivenTokenSettings> = {
  async login(backend, settings, context) {
    context.onCredential?.(settings.token);
    return backend.useToken(settings.token);
  },
};
