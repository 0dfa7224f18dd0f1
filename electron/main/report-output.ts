/**
 * The two platform services the report export needs from Electron: a native save dialog (the ONLY
 * source of a path to write; the renderer never names one) and printing HTML to PDF in a hidden,
 * script-less window.
 */
import path from 'node:path';
import { app, BrowserWindow, dialog } from 'electron';
import type { ReportFormat } from '../../contract/ipc';

const FILTERS: Record<ReportFormat, { name: string; extensions: string[] }> = {
  json: { name: 'JSON report', extensions: ['json'] },
  html: { name: 'HTML report', extensions: ['html', 'htm'] },
  md: { name: 'Markdown report', extensions: ['md'] },
  pdf: { name: 'PDF report', extensions: ['pdf'] },
};

export function createSaveReportDialog(parent: () => BrowserWindow | undefined) {
  return async (defaultName: string, format: ReportFormat): Promise<string | undefined> => {
    const options = {
      title: 'Export run report',
      defaultPath: path.join(app.getPath('documents'), defaultName),
      filters: [FILTERS[format]],
      properties: ['createDirectory', 'showOverwriteConfirmation'] as Array<'createDirectory' | 'showOverwriteConfirmation'>,
    };
    const win = parent();
    const result = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
    return result.canceled || !result.filePath ? undefined : result.filePath;
  };
}

/** Renders self-contained HTML (no script) to PDF in a hidden, sandboxed window with JavaScript off. */
export async function printHtmlToPdf(html: string): Promise<Buffer> {
  const win = new BrowserWindow({
    show: false,
    webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, javascript: false, webSecurity: true },
  });
  try {
    await win.loadURL(`data:text/html;charset=utf-8;base64,${Buffer.from(html, 'utf8').toString('base64')}`);
    return await win.webContents.printToPDF({ printBackground: true, pageSize: 'A4' });
  } finally {
    win.destroy();
  }
}
