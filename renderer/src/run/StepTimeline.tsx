/**
 * The vertical progress timeline: one entry per workflow step with its state, elapsed time, polls,
 * the statuses it observed, the ids it learned (copyable), request ids, and any error in words
 * with the next action.
 */
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import CopyToClipboard from '@cloudscape-design/components/copy-to-clipboard';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator, { type StatusIndicatorProps } from '@cloudscape-design/components/status-indicator';
import Steps from '@cloudscape-design/components/steps';
import { NextAction } from '../components/NextAction';
import { formatDuration, LABEL_BY_OUTPUT, stepTitle, waitReasonText } from '../state/labels';
import { formatStatusHistory, secondsUntil, stepElapsedMs, type StepState, type StepView } from '../state/timeline';

const STATE_STATUS: Record<StepState, { type: StatusIndicatorProps.Type; text: string }> = {
  pending: { type: 'pending', text: 'Pending' },
  running: { type: 'loading', text: 'Running' },
  waiting: { type: 'in-progress', text: 'Waiting' },
  paused: { type: 'warning', text: 'Paused' },
  succeeded: { type: 'success', text: 'Succeeded' },
  failed: { type: 'error', text: 'Failed' },
  cancelled: { type: 'stopped', text: 'Cancelled' },
};

/** Outputs worth showing as ids (strings of the datastoreId/jobId kind), in a stable order. */
const ID_OUTPUTS = ['datastoreId', 'jobId'];

export function StepTimeline({ steps, now, live, onPollNow }: { steps: readonly StepView[]; now: number; live: boolean; onPollNow?: (step: StepView) => void }) {
  return (
    <Steps
      ariaLabel="Onboarding progress"
      steps={steps.map((step) => {
        const status = STATE_STATUS[step.state];
        return {
          status: status.type,
          statusIconAriaLabel: status.text,
          header: (
            <span data-testid={`step-${step.stepId}`} data-state={step.state}>
              <Box variant="span" fontWeight="bold">
                {stepTitle(step)}
              </Box>{' '}
              <Box variant="span" color="text-body-secondary">
                — {status.text}
              </Box>
            </span>
          ),
          details: <StepDetails step={step} now={now} live={live} onPollNow={onPollNow} />,
        };
      })}
    />
  );
}

function StepDetails({ step, now, live, onPollNow }: { step: StepView; now: number; live: boolean; onPollNow?: (step: StepView) => void }) {
  const facts: string[] = [];
  const elapsed = stepElapsedMs(step, now);
  if (elapsed !== undefined) facts.push(`Elapsed ${formatDuration(elapsed)}`);
  if (step.polling && step.responses > 0) facts.push(`${step.responses} ${step.responses === 1 ? 'poll' : 'polls'}`);
  else if (step.requests > 1) facts.push(`${step.requests} requests`);
  const history = formatStatusHistory(step.statusHistory);
  const ids = ID_OUTPUTS.filter((k) => step.outputs[k]);
  const lastRequestId = step.requestIds[step.requestIds.length - 1];

  if (step.state === 'pending' && facts.length === 0) {
    return (
      <Box variant="small" color="text-body-secondary">
        {step.operationId}
        {step.polling ? ', repeated until the status changes' : ''}
      </Box>
    );
  }

  return (
    <SpaceBetween size="xs">
      <Box variant="small" color="text-body-secondary">
        {step.operationId}
        {facts.length ? ` · ${facts.join(' · ')}` : ''}
      </Box>
      {history ? (
        <Box variant="small">
          Status observed: <Box variant="code">{history}</Box>
        </Box>
      ) : null}
      {step.state === 'waiting' && step.waiting && live ? (
        <SpaceBetween direction="horizontal" size="xs" alignItems="center">
          <StatusIndicator type={step.waiting.reason === 'poll' ? 'pending' : 'warning'}>
            {waitReasonText(step.waiting.reason)}: next check in {secondsUntil(step.waiting.nextAttemptAt, now)} s
          </StatusIndicator>
          {onPollNow ? (
            <Button variant="normal" iconName="refresh" onClick={() => onPollNow(step)} ariaLabel={`Check now: ${stepTitle(step)}`}>
              Check now
            </Button>
          ) : null}
        </SpaceBetween>
      ) : null}
      {step.lastResponseError && step.state !== 'failed' ? (
        <StatusIndicator type="warning">
          {step.lastResponseError.code} (HTTP {step.lastResponseError.httpStatus}): {step.lastResponseError.message}
          {live && step.state !== 'succeeded' ? ' — retrying' : ''}
        </StatusIndicator>
      ) : null}
      {ids.map((key) => (
        <Box key={key} variant="small">
          {LABEL_BY_OUTPUT[key] ?? key}:{' '}
          <CopyToClipboard
            variant="inline"
            textToCopy={step.outputs[key]!}
            copyButtonAriaLabel={`Copy ${LABEL_BY_OUTPUT[key] ?? key}`}
            copySuccessText={`${LABEL_BY_OUTPUT[key] ?? key} copied`}
            copyErrorText="Copy failed"
          />
        </Box>
      ))}
      {lastRequestId ? (
        <Box variant="small" color="text-body-secondary">
          {step.responses > 1 ? 'Last request ID' : 'Request ID'}: <span className="mono">{lastRequestId}</span>
          {step.responses > 1 ? ` (all ${step.responses} are in the event log and the report)` : ''}
        </Box>
      ) : null}
      {step.error ? (
        <Alert type={step.state === 'cancelled' ? 'info' : 'error'} header={`${step.error.code}${step.error.httpStatus ? ` (HTTP ${step.error.httpStatus})` : ''}`}>
          <SpaceBetween size="xxs">
            <span>{step.error.message}</span>
            {step.error.action ? <NextAction action={step.error.action} /> : null}
            {step.error.requestId ? <Box variant="small">Request ID {step.error.requestId}</Box> : null}
          </SpaceBetween>
        </Alert>
      ) : null}
    </SpaceBetween>
  );
}
