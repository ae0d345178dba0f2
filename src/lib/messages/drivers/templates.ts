import { config } from '../../config.ts';
import { KIND_NAMES, MESSAGE_KINDS, type MessageKind, type MessageParams } from '../outbox.ts';
import { SendFailure } from './types.ts';

/** The template code registered with the SMS provider for a kind (SMS_TEMPLATES); none fails the message for good. */
export function templateCode(kind: MessageKind): string {
  const code = config().SMS_TEMPLATES[kind];
  if (code === undefined) throw new SendFailure(`no SMS template code for kind "${kind}": add ${kind}=CODE to SMS_TEMPLATES`, { retryable: false });
  return code;
}

/** The variables in the order the kind's template takes them (Tencent's TemplateParamSet). */
export function orderedParams(kind: MessageKind, params: MessageParams): string[] {
  return MESSAGE_KINDS[kind].vars.map((name) => params[name] ?? '');
}

/** SMS_TEMPLATES names only message kinds; the first that is not one, if any. */
export function unknownTemplateKind(): string | undefined {
  return Object.keys(config().SMS_TEMPLATES).find((kind) => !(KIND_NAMES as string[]).includes(kind));
}
