/** Report export: the user picks the file (the only source of a path), core renders the report. */
import type { HandlersFor } from '../../../contract/ipc';
import { exportRunReport } from '../../../core/app/reports';
import type { HandlerContext } from './context';

export type ReportHandlers = HandlersFor<'report:export'>;

export function reportHandlers({ deps, store }: HandlerContext): ReportHandlers {
  return {
    async 'report:export'({ runId, format }) {
      return exportRunReport(store, runId, format, { choosePath: deps.dialogs.saveReport, printToPdf: deps.printToPdf });
    },
  };
}
