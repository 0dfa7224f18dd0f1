/**
 * What to do about an import's results: failures grouped by type with cause, fix and first files;
 * the warnings; non-primary image sets and what they mean. Shown under the Done screen's counts.
 */
import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import ExpandableSection from '@cloudscape-design/components/expandable-section';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import { NON_PRIMARY_MEANING } from '../../../core/report/failure-causes';
import type { ImportResults } from '../state/eventTypes';

export function ImportFindings({ results }: { results: ImportResults }) {
  const groups = results.failuresByType ?? [];
  const warnings = results.warnings ?? [];
  const nonPrimary = results.nonPrimaryImageSets ?? [];
  return (
    <>
      {groups.length > 0 ? (
        <SpaceBetween size="s">
          <Header variant="h3" counter={`(${groups.length})`} description={results.failuresComplete === false ? 'From the first part of failure.ndjson: the counts are at least these.' : undefined}>
            Failures by type
          </Header>
          {groups.map((g) => (
            <div key={`${g.type}-${g.message}`} data-testid="failure-group">
              <SpaceBetween size="xxs">
                <Box variant="h4">
                  {g.type}: {g.count} {g.count === 1 ? 'file' : 'files'}
                </Box>
                <span>{g.cause ?? g.message}</span>
                {g.fix ? (
                  <span>
                    <b>Fix:</b> {g.fix}
                  </span>
                ) : null}
                <ExpandableSection headerText={`First ${g.examples.length === 1 ? 'file' : `${g.examples.length} files`}`} variant="footer">
                  <ul className="mono">
                    {g.examples.map((f) => (
                      <li key={f}>{f}</li>
                    ))}
                  </ul>
                  {g.count > g.examples.length ? <Box color="text-body-secondary">… and {g.count - g.examples.length} more</Box> : null}
                </ExpandableSection>
              </SpaceBetween>
            </div>
          ))}
        </SpaceBetween>
      ) : null}
      {warnings.length > 0 ? (
        <Table
          variant="embedded"
          header={<Header variant="h3" counter={`(${warnings.length})`}>Warnings</Header>}
          ariaLabels={{ tableLabel: 'Import warnings' }}
          items={warnings}
          wrapLines
          columnDefinitions={[
            { id: 'file', header: 'File', cell: (w) => <span className="mono">{w.inputFile ?? '—'}</span> },
            { id: 'code', header: 'Code', cell: (w) => [w.code, w.type].filter(Boolean).join(' ') || '—' },
            { id: 'message', header: 'Warning', cell: (w) => w.message },
          ]}
        />
      ) : null}
      {nonPrimary.length > 0 ? (
        <SpaceBetween size="s">
          <Header variant="h3" counter={`(${nonPrimary.length})`}>
            Non-primary image sets
          </Header>
          <Alert type="warning" header="Instances conflicted with data already in the data store">
            {NON_PRIMARY_MEANING}
          </Alert>
          <Table
            variant="embedded"
            ariaLabels={{ tableLabel: 'Non-primary image sets' }}
            items={nonPrimary}
            wrapLines
            columnDefinitions={[
              // Wide enough for the 32-character id on one line.
              { id: 'id', header: 'Image set ID', width: 300, cell: (n) => <span className="mono">{n.imageSetId}</span> },
              { id: 'count', header: 'Conflicting instances', cell: (n) => n.count },
              {
                id: 'files',
                header: 'First files',
                // One file a line: a list of S3 keys joined by commas breaks mid-path.
                cell: (n) => (
                  <div className="mono">
                    {n.instances.map((f) => (
                      <div key={f}>{f}</div>
                    ))}
                    {n.count > n.instances.length ? <Box color="text-body-secondary">… and {n.count - n.instances.length} more</Box> : null}
                  </div>
                ),
              },
            ]}
          />
        </SpaceBetween>
      ) : null}
    </>
  );
}
