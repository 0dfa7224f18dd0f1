/** Light and dark follow the operating system, live. */
import { applyMode, Mode } from '@cloudscape-design/global-styles';

export function followSystemTheme(): () => void {
  const query = window.matchMedia('(prefers-color-scheme: dark)');
  const apply = () => applyMode(query.matches ? Mode.Dark : Mode.Light);
  apply();
  query.addEventListener('change', apply);
  return () => query.removeEventListener('change', apply);
}
