/**
 * The endpoints anyone may call, whatever the auth strategy, as in Ironic:
 * the root and /v1 documents (clients discover versions before they
 * authenticate), and the ramdisk agent's lookup and heartbeat (the agent on
 * a machine being provisioned holds no API credentials; it proves itself
 * with the node's agent token instead), and the boot files at /boot/… (network
 * boot firmware and BMCs cannot authenticate). Node identifiers are matched as
 * Ironic matches them: lower-case letters, digits and dashes.
 */
const PUBLIC_PATHS: readonly RegExp[] = [
  /^\/$/,
  /^\/v1$/,
  /^\/v1\/lookup$/,
  /^\/v1\/heartbeat\/[a-z0-9-]+$/,
  /^\/boot\/.+$/,
];

/** Whether a request URL (path and query, as received) is a public endpoint. */
export function isPublicPath(url: string): boolean {
  const [rawPath = ''] = url.split('?', 1);
  // Trailing slashes do not change the endpoint (the API ignores them).
  const path = rawPath.replace(/\/+$/, '') || '/';
  return PUBLIC_PATHS.some((pattern) => pattern.test(path));
}
