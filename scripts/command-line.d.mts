export type TOptionSpec =
  | { type: 'string'; description: string; default?: string; value?: string }
  | { type: 'boolean'; description: string; default?: boolean }
  | { type: 'number'; description: string; default?: number; value?: string; min?: number };

export interface TCommandSpec<Options extends Record<string, TOptionSpec>> {
  /** How a person types it, e.g. `npm run bench:session`. */
  command: string;
  summary: string;
  options: Options;
  /** The positional arguments as the usage line shows them, e.g. `<sessionId>`. */
  arguments?: string;
  positionals?: { min: number; max: number };
  notes?: string;
}

type TValueOf<Option> = Option extends { type: 'boolean' }
  ? boolean
  : Option extends { type: 'number'; default: number }
    ? number
    : Option extends { type: 'number' }
      ? number | undefined
      : Option extends { default: string }
        ? string
        : string | undefined;

export declare function parseCommandLine<const Options extends Record<string, TOptionSpec>>(
  spec: TCommandSpec<Options>,
  args?: readonly string[],
): { values: { [Name in keyof Options]: TValueOf<Options[Name]> }; positionals: string[] };

export declare function refuse(command: string, message: string): never;
