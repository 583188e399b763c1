/** Orders two dotted releases numerically: negative when a < b ("0.5.9" < "0.5.10"). */
export function compareRelease(a: string, b: string): number {
  const pa = numbers(a);
  const pb = numbers(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

/** A release's numbers, split once per release (the plan compares the same few releases per database). */
const NUMBERS = new Map<string, number[]>();
function numbers(release: string): number[] {
  let parts = NUMBERS.get(release);
  if (!parts) NUMBERS.set(release, (parts = release.split(".").map(Number)));
  return parts;
}

/** Whether `release` lies in [from, to] (both inclusive). */
export function releaseWithin(release: string, from: string, to: string): boolean {
  return compareRelease(release, from) >= 0 && compareRelease(release, to) <= 0;
}
