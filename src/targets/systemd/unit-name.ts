/**
 * systemd's unit-name rules (systemd.unit(5) "Description"): at most 255 characters; a prefix of
 * ASCII letters, digits and `:-_.\`; for a template `prefix@.service`, for an instance
 * `prefix@instance.service` where the instance may also hold `@`. Only `.service` units here.
 */
const MAX_LENGTH = 255;
const PREFIX = "[A-Za-z0-9:_.\\\\-]+";
const INSTANCE = "[A-Za-z0-9:_.\\\\@-]*";
const SERVICE_NAME = new RegExp(`^${PREFIX}(?:@${INSTANCE})?\\.service$`);

/** Why `name` is not a valid service unit name, or undefined. */
export function serviceUnitNameProblem(name: string): string | undefined {
  if (!name.endsWith(".service")) return 'is not a service unit: the name must end in ".service"';
  if (name.length > MAX_LENGTH) return `is ${name.length} characters long; systemd allows at most ${MAX_LENGTH}`;
  if (!SERVICE_NAME.test(name)) {
    return "is not a valid unit name: ASCII letters, digits and : - _ . \\ before the suffix, then optionally @ and an instance (letters, digits and : - _ . \\ @); `systemd-escape` turns any other text into such a name";
  }
  return undefined;
}
