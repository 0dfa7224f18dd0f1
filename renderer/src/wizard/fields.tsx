/** A labelled text input wired for accessibility (label bound by controlId) and live errors. */
import type { ReactNode } from 'react';
import FormField from '@cloudscape-design/components/form-field';
import Input, { type InputProps } from '@cloudscape-design/components/input';

export interface TextFieldProps {
  id: string;
  label: string;
  optional?: boolean;
  description?: ReactNode;
  constraint?: ReactNode;
  value: string;
  onChange: (value: string) => void;
  onBlur?: () => void;
  error?: string;
  warning?: string;
  placeholder?: string;
  secondaryControl?: ReactNode;
  inputMode?: InputProps['inputMode'];
  monospace?: boolean;
}

export function TextField(p: TextFieldProps) {
  return (
    <FormField
      controlId={p.id}
      label={
        p.optional ? (
          <>
            {p.label} <i>- optional</i>
          </>
        ) : (
          p.label
        )
      }
      description={p.description}
      constraintText={p.constraint}
      errorText={p.error}
      warningText={p.error ? undefined : p.warning}
      secondaryControl={p.secondaryControl}
      stretch={false}
    >
      <Input
        controlId={p.id}
        value={p.value}
        onChange={(e) => p.onChange(e.detail.value)}
        onBlur={p.onBlur}
        placeholder={p.placeholder}
        inputMode={p.inputMode}
        spellcheck={false}
        autoComplete={false}
        ariaRequired={!p.optional}
        invalid={Boolean(p.error)}
        warning={!p.error && Boolean(p.warning)}
      />
    </FormField>
  );
}
