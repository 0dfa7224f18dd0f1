/**
 * The Review step's preflight: every check with its status, what was found and what to do, as
 * the AWS console lists findings. While a check fails, Start stays disabled and says why; the
 * user may still start after "I understand, start anyway" (the run log records it as skipped).
 */
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Checkbox from '@cloudscape-design/components/checkbox';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator, { type StatusIndicatorProps } from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import type { CheckResult, CheckStatus, PreflightResult } from '../../../contract/ipc';

export type PreflightState =
  | { status: 'idle' }
  | { status: 'running' }
  | { status: 'done'; result: PreflightResult }
  | { status: 'failed'; message: string };

/** Role checks the app can fix itself: "Create a role for me" makes a role that passes all three. */
const ROLE_CHECKS: ReadonlySet<string> = new Set(['role-exists', 'role-trust', 'role-permissions']);

const STATUS: Record<CheckStatus, { type: StatusIndicatorProps.Type; label: string }> = {
  pass: { type: 'success', label: 'Passed' },
  warn: { type: 'warning', label: 'Warning' },
  fail: { type: 'error', label: 'Failed' },
  skipped: { type: 'stopped', label: 'Skipped' },
};

/**
 * Why Start is disabled, or undefined when it may start: the checks are still running, a check
 * failed, or the preflight itself could not run. "Start anyway" lifts the last two.
 */
export function startBlockedReason(state: PreflightState, acknowledged: boolean): string | undefined {
  if (state.status === 'idle' || state.status === 'running') return 'Wait for the preflight checks to finish.';
  if (acknowledged) return undefined;
  if (state.status === 'failed') return `The preflight could not run (${state.message}). Run the checks again, or choose “I understand, start anyway”.`;
  const failing = state.result.checks.filter((c) => c.status === 'fail');
  if (failing.length === 0 && state.result.errors.length === 0) return undefined;
  if (failing.length === 0) return 'The preflight could not complete. Run the checks again, or choose “I understand, start anyway”.';
  return `${failing.length === 1 ? 'A check failed' : `${failing.length} checks failed`}: ${failing.map((c) => c.title).join(', ')}. Fix ${failing.length === 1 ? 'it' : 'them'}, or choose “I understand, start anyway”.`;
}

function counts(checks: readonly CheckResult[]): string {
  const n = (s: CheckStatus) => checks.filter((c) => c.status === s).length;
  const parts = [`${n('pass')} passed`];
  if (n('warn')) parts.push(`${n('warn')} ${n('warn') === 1 ? 'warning' : 'warnings'}`);
  if (n('fail')) parts.push(`${n('fail')} failed`);
  if (n('skipped')) parts.push(`${n('skipped')} skipped`);
  return parts.join(', ');
}

export function PreflightChecks(props: {
  state: PreflightState;
  acknowledged: boolean;
  onAcknowledge: (value: boolean) => void;
  onRerun: () => void;
  /** "Start onboarding" or "Start import", as the button says. */
  startText: string;
}) {
  const { state } = props;
  const running = state.status === 'running' || state.status === 'idle';
  const checks = state.status === 'done' ? state.result.checks : [];
  const blocked = state.status === 'failed' || (state.status === 'done' && (!state.result.ready || state.result.errors.length > 0));
  const reason = startBlockedReason(state, false);

  return (
    <SpaceBetween size="s">
      <Table
        variant="container"
        wrapLines
        trackBy="id"
        items={checks}
        loading={running}
        loadingText="Running the preflight checks…"
        ariaLabels={{ tableLabel: 'Preflight checks' }}
        header={
          <Header
            variant="h2"
            counter={state.status === 'done' ? `(${counts(checks)})` : undefined}
            description="Checked now, before anything is created: the role, the buckets, the input against the import job limits, and the KMS key."
            actions={
              <Button iconName="refresh" onClick={props.onRerun} loading={running} disabled={running}>
                Run checks again
              </Button>
            }
          >
            Preflight checks
          </Header>
        }
        empty={<Box color="text-body-secondary">{state.status === 'failed' ? 'The checks could not run.' : 'No checks.'}</Box>}
        columnDefinitions={[
          {
            id: 'status',
            header: 'Status',
            width: 120,
            cell: (c) => (
              <span data-check={c.id} data-status={c.status}>
                <StatusIndicator type={STATUS[c.status].type}>{STATUS[c.status].label}</StatusIndicator>
              </span>
            ),
          },
          {
            id: 'check',
            header: 'Check',
            width: 210,
            cell: (c) => (
              <SpaceBetween size="xxxs">
                <Box fontWeight="bold">{c.title}</Box>
                <Box variant="small" color="text-body-secondary">
                  {c.id}
                </Box>
              </SpaceBetween>
            ),
          },
          {
            id: 'detail',
            header: 'Details',
            cell: (c) => (
              <SpaceBetween size="xxs">
                <span className="check-detail">{c.detail}</span>
                {c.fix ? (
                  <span className="check-detail">
                    <Box variant="span" fontWeight="bold">
                      Fix:
                    </Box>{' '}
                    {c.fix}
                  </span>
                ) : null}
                {c.status === 'fail' && ROLE_CHECKS.has(c.id) ? (
                  <Box variant="small" color="text-body-secondary">
                    Or go back to the Import step and choose “Create a role for me”: the role it makes passes this check.
                  </Box>
                ) : null}
              </SpaceBetween>
            ),
          },
        ]}
      />
      {state.status === 'done' && !blocked ? (
        <Alert type="success" header="Ready: nothing blocks the start">
          {checks.some((c) => c.status === 'warn') ? 'Read the warnings above; they do not stop the run.' : `Every check passed or did not apply. Choose “${props.startText}” to begin.`}
        </Alert>
      ) : null}
      {blocked ? (
        <Alert type="error" header={`“${props.startText}” is disabled`}>
          <SpaceBetween size="s">
            <span data-testid="start-blocked-reason">{reason}</span>
            <Checkbox checked={props.acknowledged} onChange={(e) => props.onAcknowledge(e.detail.checked)} description="The run starts without these checks (the run log says so). A wrong role makes the import job fail after the data store was created.">
              I understand, start anyway
            </Checkbox>
          </SpaceBetween>
        </Alert>
      ) : null}
    </SpaceBetween>
  );
}
