/**
 * Where an example prints its lines. The app's output puts the wall-clock time in front of each
 * line; the tests record the lines together with the loop's clock.
 */
export interface Output {
  /** Prints one line. */
  print(line: string): void;
}

/** Formats a wall-clock time as `HH:MM:SS`, like Python's `time.strftime('%X')`. */
export function formatClock(date: Date): string {
  return [date.getHours(), date.getMinutes(), date.getSeconds()]
    .map((part) => String(part).padStart(2, '0'))
    .join(':');
}

/**
 * An {@link Output} that writes every line to `write` as `HH:MM:SS line`, so the waits between
 * lines can be seen.
 */
export function timestampedOutput(
  write: (text: string) => void,
  now: () => Date = () => new Date(),
): Output {
  return {
    print(line) {
      write(`${formatClock(now())} ${line}\n`);
    },
  };
}
