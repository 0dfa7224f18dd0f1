/** The look-up commands' names: tiny, so main.ts can dispatch without loading their code. */
export type ListCommandName = 'datastores' | 'jobs' | 'results' | 'watch';
const NAMES: readonly string[] = ['datastores', 'jobs', 'results', 'watch'];
export const isListCommand = (s: string | undefined): s is ListCommandName => s !== undefined && NAMES.includes(s);
