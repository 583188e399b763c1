// The Kamal accessory script reads /etc/litestream.yml, as in its container: run it with a private
// /etc (a tmpfs in a mount namespace) that holds only the given config.
export function withPrivateEtc(config: string, script: string): string[] {
  return withPrivateEtcFiles([[config, "litestream.yml"]], script);
}

/** A private /etc holding several files: each [source, name under /etc]. */
export function withPrivateEtcFiles(files: Array<[string, string]>, script: string): string[] {
  const copies = files.map(([, name], i) => `cp "$${i + 2}" /etc/${name}`).join(" && ");
  return [
    "unshare",
    "--mount",
    "--propagation",
    "private",
    "sh",
    "-c",
    `mount -t tmpfs none /etc && ${copies} && exec /bin/sh -c "$1"`,
    "sh",
    script,
    ...files.map(([from]) => from),
  ];
}
