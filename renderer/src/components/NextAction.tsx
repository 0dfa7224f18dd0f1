/** "Next: ..." in words; an action that is a command ("Run: aws sso login ...") becomes copyable. */
import Box from '@cloudscape-design/components/box';
import CopyToClipboard from '@cloudscape-design/components/copy-to-clipboard';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { commandOfAction } from '../state/labels';

export function NextAction({ action, then }: { action: string; then?: string }) {
  const command = commandOfAction(action);
  if (!command) {
    return (
      <span>
        <b>Next:</b> {action}
        {then ? ` ${then}` : ''}
      </span>
    );
  }
  return (
    <SpaceBetween size="xxs">
      <span>
        <b>Next:</b> run this command in a terminal{then ? `, ${then}` : '.'}
      </span>
      <div className="command-box">
        <CopyToClipboard
          variant="inline"
          textToCopy={command}
          textToDisplay={<Box variant="code">{command}</Box>}
          copyButtonAriaLabel="Copy the command"
          copySuccessText="Command copied"
          copyErrorText="Command failed to copy"
        />
      </div>
    </SpaceBetween>
  );
}
