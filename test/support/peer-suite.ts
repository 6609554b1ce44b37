/**
 * The rule for suites that need a real peer (ipmi_sim, ipmitool, sushy, …):
 * when the peer is missing, the suite is skipped with the reason, except
 * under CI=true, where it runs and fails instead.
 */
export function peerSuiteOptions(missing: string | undefined): { skip?: string } {
  if (missing === undefined || process.env['CI'] === 'true') return {};
  return { skip: `${missing}; with CI=true this fails instead` };
}
