/**
 * The one exit-code table of the `tlsproof` command line. Every command returns one of these; the
 * README and `tlsproof --help` describe the same table.
 */
/** Done: the report was written (or the command did what it was asked) and no input was skipped. */
export const EXIT_OK = 0;
/** The report was written, but some input was skipped (listed in its appendix); `verify`: something altered or not trusted. */
export const EXIT_PROBLEMS = 1;
/** Nothing written: a usage error, unusable input, or an output that could not be written. */
export const EXIT_FATAL = 2;
/** Report written, and --fail-on found findings at or above its threshold (CI gate). */
export const EXIT_GATE = 3;
/** The scan was interrupted (SIGINT); its results so far were kept for --resume. */
export const EXIT_INTERRUPTED = 130;
export type ExitCode = typeof EXIT_OK | typeof EXIT_PROBLEMS | typeof EXIT_FATAL | typeof EXIT_GATE | typeof EXIT_INTERRUPTED;
