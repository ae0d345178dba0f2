import { translator, type MessageKey, type Params } from '../i18n/index.ts';

/**
 * A refusal the user can understand: `key` names the message in the catalogues, `status` is the
 * HTTP status a page or endpoint answers with, `field` the form field it concerns, if any.
 */
export class UserError extends Error {
  readonly key: MessageKey;
  readonly status: number;
  readonly field: string | undefined;

  constructor(key: MessageKey, status = 400, field?: string) {
    super(key);
    this.key = key;
    this.status = status;
    this.field = field;
  }
}

/**
 * The permission rule said no; `action` and `regionCode` say what was attempted where, for the
 * audit log. `asNotFound`: the refusal concerns a record named by its id and is answered like an
 * unknown id (404), so the answer does not tell that the record exists.
 */
export class ForbiddenError extends UserError {
  readonly action: string;
  readonly regionCode: string;

  constructor(action = '', regionCode = '', options: { asNotFound?: boolean } = {}) {
    super(options.asNotFound ? 'error.notFound' : 'error.forbidden', options.asNotFound ? 404 : 403);
    this.action = action;
    this.regionCode = regionCode;
  }
}

/**
 * A failure an operator must act on (a database that will not open, a damaged backup). The console
 * scripts word it from the catalogue in the operator's language; `message` is the English wording
 * for anything else that logs it.
 */
export class OperatorError extends Error {
  readonly key: MessageKey;
  readonly params: Params;

  constructor(key: MessageKey, params: Params) {
    super(translator('en')(key, params));
    this.key = key;
    this.params = params;
  }
}
