/** Orders two dotted releases numerically: negative when a < b ("0.5.9" < "0.5.10"). */
export function compareRelease(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

/** Whether `release` lies in [from, to] (both inclusive). */
export function releaseWithin(release: string, from: string, to: string): boolean {
  return compareRelease(release, from) >= 0 && compareRelease(release, to) <= 0;
}
