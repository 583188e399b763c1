// The Kamal accessory script reads /etc/litestream.yml, as in its container: run it with a private
// /etc (a tmpfs in a mount namespace) that holds only the given config.
export function withPrivateEtc(config: string, script: string): string[] {
  return [
    "unshare",
    "--mount",
    "--propagation",
    "private",
    "sh",
    "-c",
    'mount -t tmpfs none /etc && cp "$1" /etc/litestream.yml && exec /bin/sh -c "$2"',
    "sh",
    config,
    script,
  ];
}
