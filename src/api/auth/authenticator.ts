/** What an authenticator decided about one request's credentials. */
export type AuthOutcome =
  | { readonly ok: true; readonly user: string }
  /** 401 asks the client for credentials; 400 says the ones sent cannot be read. */
  | { readonly ok: false; readonly status: 400 | 401; readonly message: string };

/** Checks the credentials of requests to non-public endpoints. */
export interface Authenticator {
  /** The `WWW-Authenticate` challenge sent with every 401. */
  readonly challenge: string;
  /** Decides on the request's Authorization header (undefined when absent). */
  authenticate(authorization: string | undefined): Promise<AuthOutcome>;
}
