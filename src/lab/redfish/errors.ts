/**
 * Redfish error bodies (DMTF DSP0266 §9.6): sushy turns the `error` object
 * and its `@Message.ExtendedInfo` into exception text, so every failure the
 * emulator answers carries one, with a Base registry message id.
 */

export interface ExtendedInfo {
  readonly MessageId: string;
  readonly Message: string;
  readonly Severity: 'OK' | 'Warning' | 'Critical';
  readonly Resolution: string;
  readonly MessageArgs?: readonly string[];
}

/** A failure a handler throws; the server turns it into its status and body. */
export class RedfishError extends Error {
  readonly status: number;
  readonly info: ExtendedInfo;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, info: ExtendedInfo, headers: Readonly<Record<string, string>> = {}) {
    super(info.Message);
    this.status = status;
    this.info = info;
    this.headers = headers;
  }

  body(): unknown {
    return {
      error: {
        code: 'Base.1.8.GeneralError',
        message: 'A general error has occurred. See ExtendedInfo for more information.',
        '@Message.ExtendedInfo': [this.info],
      },
    };
  }
}

function info(id: string, message: string, resolution: string, args: readonly string[] = []) {
  return {
    MessageId: `Base.1.8.${id}`,
    Message: message,
    Severity: 'Critical' as const,
    Resolution: resolution,
    ...(args.length === 0 ? {} : { MessageArgs: args }),
  };
}

export function resourceNotFound(path: string): RedfishError {
  return new RedfishError(
    404,
    info(
      'ResourceMissingAtURI',
      `The resource at the URI ${path} was not found.`,
      'Place a valid resource at the URI or correct the URI and resubmit the request.',
      [path],
    ),
  );
}

export function methodNotAllowed(
  method: string,
  path: string,
  allow: readonly string[],
): RedfishError {
  return new RedfishError(
    405,
    info(
      'OperationNotAllowed',
      `The ${method} method is not allowed on ${path}.`,
      `Use one of: ${allow.join(', ')}.`,
    ),
    { Allow: allow.join(', ') },
  );
}

export function malformedJson(): RedfishError {
  return new RedfishError(
    400,
    info(
      'MalformedJSON',
      'The request body submitted was malformed JSON and could not be parsed by the receiving service.',
      'Ensure that the request body is valid JSON and resubmit the request.',
    ),
  );
}

export function propertyValueNotInList(property: string, value: unknown): RedfishError {
  const shown = (JSON.stringify(value) as string | undefined) ?? 'undefined';
  return new RedfishError(
    400,
    info(
      'PropertyValueNotInList',
      `The value ${shown} for the property ${property} is not in the list of acceptable values.`,
      'Choose a value from the enumeration list that the implementation can support and resubmit the request if the operation failed.',
      [shown, property],
    ),
  );
}

export function propertyValueTypeError(property: string, value: unknown): RedfishError {
  const shown = (JSON.stringify(value) as string | undefined) ?? 'undefined';
  return new RedfishError(
    400,
    info(
      'PropertyValueTypeError',
      `The value ${shown} for the property ${property} is of a different type than the property can accept.`,
      'Correct the value for the property in the request body and resubmit the request if the operation failed.',
      [shown, property],
    ),
  );
}

export function propertyMissing(property: string): RedfishError {
  return new RedfishError(
    400,
    info(
      'PropertyMissing',
      `The property ${property} is a required property and must be included in the request.`,
      'Ensure that the property is in the request body and has a valid value and resubmit the request if the operation failed.',
      [property],
    ),
  );
}

export function preconditionFailed(path: string): RedfishError {
  return new RedfishError(
    412,
    info(
      'PreconditionFailed',
      `The ETag supplied did not match the ETag required to change ${path}.`,
      'Try the operation again using the appropriate ETag.',
    ),
  );
}

export function noValidSession(): RedfishError {
  return new RedfishError(
    401,
    info(
      'NoValidSession',
      'There is no valid session established with the implementation.',
      'Establish a session before attempting any operations.',
    ),
    { 'WWW-Authenticate': 'Basic realm="Redfish"' },
  );
}

export function internalError(status: number): RedfishError {
  return new RedfishError(
    status,
    info(
      'InternalError',
      'The request failed due to an internal service error.  The service is still operational.',
      'Resubmit the request.  If the problem persists, consider resetting the service.',
    ),
  );
}

export function actionNotSupported(action: string): RedfishError {
  return new RedfishError(
    400,
    info(
      'ActionNotSupported',
      `The action ${action} is not supported by the resource.`,
      'The action supplied cannot be resubmitted to the implementation.',
      [action],
    ),
  );
}
