/** What a command may touch of the outside world; tests pass their own. */
export interface Io {
  readonly out: (s: string) => void;
  readonly err: (s: string) => void;
  /** Resolves when stdout can take more (backpressure); throws as `out` does once stdout has failed. */
  readonly drain?: () => Promise<void>;
  /** Colour allowed on stdout / stderr (TTY, no NO_COLOR). */
  readonly colorOut: boolean;
  readonly colorErr: boolean;
  readonly stderrIsTTY: boolean;
  /** The width of text output: COLUMNS from the environment, else stdout's width when it is a terminal; absent otherwise (text output then wraps at 80). */
  readonly columns?: number;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

/** Exit codes: 0 success, 1 findings, 2 usage or input error. */
export type ExitCode = 0 | 1 | 2;
