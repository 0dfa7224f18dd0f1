/** The timeline and the event log, shared by the live run and the finished run. */
import Container from '@cloudscape-design/components/container';
import ExpandableSection from '@cloudscape-design/components/expandable-section';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import type { RunLog } from '../state/runLog';
import type { StepView } from '../state/timeline';
import { EventLog } from './EventLog';
import { StepTimeline } from './StepTimeline';

export function RunDetails({ log, now, live, onPollNow }: { runId: string; log: RunLog; now: number; live: boolean; onPollNow?: (step: StepView) => void }) {
  const view = log.view;
  return (
    <SpaceBetween size="l">
      <Container header={<Header variant="h2" description={view.workflowTitle}>Progress</Header>}>
        <StepTimeline steps={view.steps} now={now} live={live} onPollNow={onPollNow} />
      </Container>
      <ExpandableSection variant="container" headerText="Live event log" headerCounter={`(${log.events.length})`} headerDescription="Every event of this run, as the engine recorded it.">
        <EventLog events={log.events} />
      </ExpandableSection>
    </SpaceBetween>
  );
}
