import Flashbar, { type FlashbarProps } from '@cloudscape-design/components/flashbar';
import type { Notice } from '../appContext';

export const SANDBOX_TEXT = 'Sandbox — demo data, nothing is created in AWS';

/** The shell's notification area: the persistent sandbox marker first, then dismissible notices. */
export function Notifications({ sandbox, notices, dismiss }: { sandbox: boolean; notices: Notice[]; dismiss: (id: string) => void }) {
  const items: FlashbarProps.MessageDefinition[] = [];
  if (sandbox) {
    items.push({
      id: 'sandbox-mode',
      type: 'info',
      header: SANDBOX_TEXT,
      content: 'You are using the local HealthImaging sandbox: it speaks the real API with demo DICOM data. No AWS account is used and nothing is billed.',
      ariaRole: 'status',
    });
  }
  for (const n of notices) {
    items.push({
      id: n.id,
      type: n.type,
      header: n.header,
      content: n.content,
      dismissible: true,
      dismissLabel: 'Dismiss message',
      onDismiss: () => dismiss(n.id),
      ariaRole: n.type === 'error' ? 'alert' : 'status',
    });
  }
  return items.length > 0 ? <Flashbar items={items} /> : null;
}
