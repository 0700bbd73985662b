export { isSecretVariable, scrubEnvironment } from './secret-variables.js';
export {
  encodedForms,
  isMaskableSecret,
  knownSecretMasker,
  maskKnownSecrets,
  secretValuesFromEnvironment,
} from './known-secrets.js';
export {
  LAUNCHER_FD_VARIABLE,
  receiveHandedSecrets,
  SECRETS_FD_VARIABLE,
  splitSecretEnvironment,
} from './secret-handoff.js';
export {
  absorbForwardedDuplicateSignals,
  exitWithLauncher,
  relaunchWithoutSecrets,
  shouldRelaunch,
} from './relaunch.js';
export { wipeOwnEnvironValues, type EnvironWipe } from './environ-block.js';
