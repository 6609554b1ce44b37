/**
 * The error catalogue: every error Ferrite raises, after Ironic's exception
 * classes (same names, same HTTP statuses, same messages with `{param}`
 * placeholders). `parent` gives the family, so a handler for `Invalid`
 * catches `MissingParameterValue`; `retryable` says whether the same request
 * may succeed later unchanged.
 */
export interface ErrorSpec {
  readonly status: number;
  readonly message: string;
  readonly parent?: string;
  readonly retryable?: boolean;
}

export const ERROR_CATALOGUE = {
  // Families.
  InternalError: { status: 500, message: 'An unknown exception occurred.' },
  NotAuthorized: { status: 403, message: 'Not authorized.' },
  Unauthorized: { status: 401, message: 'Authentication required.' },
  Invalid: { status: 400, message: 'Unacceptable parameters.' },
  Conflict: { status: 409, message: 'Conflict.' },
  TemporaryFailure: {
    status: 503,
    retryable: true,
    message: 'Resource temporarily unavailable, please retry.',
  },
  NotAcceptable: { status: 406, message: 'Request not acceptable.' },
  NotFound: { status: 404, message: 'Resource could not be found.' },
  UnsupportedApiVersion: {
    status: 406,
    parent: 'NotAcceptable',
    message:
      'Version {requested} was requested but the minor version is not supported by this service. The supported version range is: [{min}, {max}].',
  },

  /** Something (a field, a parameter) the request's microversion does not have yet. */
  UnsupportedMediaType: {
    status: 415,
    parent: 'Invalid',
    message: 'Request bodies are JSON: send them with Content-Type application/json.',
  },
  NotAcceptableAtVersion: { status: 406, parent: 'NotAcceptable', message: '{err}' },
  /** An endpoint newer than the request's microversion: for that client it does not exist. */
  NotFoundAtVersion: { status: 404, parent: 'NotFound', message: '{err}' },
  /** A change to a resource newer than the request's microversion (Ironic answers 405 there). */
  MethodNotAllowedAtVersion: { status: 405, message: '{err}' },

  // Authorisation.
  OperationNotPermitted: {
    status: 403,
    parent: 'NotAuthorized',
    message: 'Operation not permitted.',
  },
  HTTPForbidden: {
    status: 403,
    parent: 'NotAuthorized',
    message: 'Access was denied to the following resource: {resource}',
  },
  NodeProtected: {
    status: 403,
    parent: 'HTTPForbidden',
    message: 'Node {node} is protected and cannot be undeployed, rebuilt or deleted',
  },
  ExclusiveLockRequired: {
    status: 403,
    parent: 'NotAuthorized',
    message: 'An exclusive lock is required, but the current context has a shared lock.',
  },

  // Bad input.
  InvalidParameterValue: { status: 400, parent: 'Invalid', message: '{err}' },
  MissingParameterValue: { status: 400, parent: 'InvalidParameterValue', message: '{err}' },
  MalformedRequestURI: { status: 400, parent: 'Invalid', message: 'Malformed request URI.' },
  InvalidUUID: { status: 400, parent: 'Invalid', message: 'Expected a UUID but received {uuid}.' },
  InvalidUuidOrName: {
    status: 400,
    parent: 'Invalid',
    message: 'Expected a logical name or UUID but received {name}.',
  },
  InvalidName: {
    status: 400,
    parent: 'Invalid',
    message: 'Expected a logical name but received {name}.',
  },
  InvalidConductorGroup: {
    status: 400,
    parent: 'Invalid',
    message: 'Expected a conductor group but received {group}.',
  },
  InvalidMAC: {
    status: 400,
    parent: 'Invalid',
    message: 'Expected a MAC address but received {mac}.',
  },
  InvalidSwitchID: {
    status: 400,
    parent: 'Invalid',
    message: 'Expected a MAC address or OpenFlow datapath ID but received {switch_id}.',
  },
  InvalidStateRequested: {
    status: 400,
    parent: 'Invalid',
    message:
      'The requested action "{action}" can not be performed on node "{node}" while it is in state "{state}". Allowed in this state: {allowed}.',
  },
  PatchError: {
    status: 400,
    parent: 'Invalid',
    message: "Couldn't apply patch '{patch}'. Reason: {reason}",
  },
  UnsupportedDriverExtension: {
    status: 400,
    parent: 'Invalid',
    message: 'Driver {driver} does not support {extension} (disabled or not implemented).',
  },
  InterfaceNotFoundInEntrypoint: {
    status: 400,
    parent: 'InvalidParameterValue',
    message:
      "The {interface_type} interface implementation '{iface}' is not enabled. Valid interfaces are {valid}.",
  },
  IncompatibleInterface: {
    status: 400,
    parent: 'InvalidParameterValue',
    message:
      "{interface_type} interface implementation '{interface_impl}' is not supported by hardware type {hardware_type}. Supported: {supported}.",
  },
  NoValidDefaultForInterface: {
    status: 400,
    parent: 'InvalidParameterValue',
    message:
      "For{node_info} hardware type '{driver}', no default value found for {interface_type} interface could be determined. Please ensure the interfaces are enabled.",
  },
  InvalidImageRef: {
    status: 400,
    parent: 'InvalidParameterValue',
    message: 'Invalid image href {image_href}.',
  },
  NoFreePhysicalPorts: {
    status: 400,
    parent: 'Invalid',
    message: 'Unable to attach VIF {vif}, not enough free physical ports.',
  },
  VifNotAttached: {
    status: 400,
    parent: 'Invalid',
    message: 'Unable to detach VIF {vif} from node {node} because it is not attached to it.',
  },
  PortgroupNotEmpty: {
    status: 400,
    parent: 'Invalid',
    message: 'Cannot complete the requested action because portgroup {portgroup} contains ports.',
  },
  ChassisNotEmpty: {
    status: 400,
    parent: 'Invalid',
    message: 'Cannot complete the requested action because chassis {chassis} contains nodes.',
  },
  NodeMaintenanceFailure: {
    status: 400,
    parent: 'Invalid',
    message: 'Failed to toggle maintenance-mode flag for node {node}: {reason}',
  },
  NodeConsoleNotEnabled: {
    status: 400,
    parent: 'Invalid',
    message: 'Console access is not enabled on node {node}',
  },
  NodeInMaintenance: {
    status: 400,
    parent: 'Invalid',
    message:
      "The {op} operation can't be performed on node {node} because it's in maintenance mode.",
  },
  NodeIsRetired: {
    status: 400,
    parent: 'Invalid',
    message: "The {op} operation can't be performed on node {node} because it is retired.",
  },
  NodeNotLocked: {
    status: 400,
    parent: 'Invalid',
    message: 'Node {node} found not to be locked on release',
  },
  IncompleteLookup: {
    status: 400,
    parent: 'Invalid',
    message: "At least one of 'addresses' and 'node_uuid' parameters is required",
  },
  InvalidDeployTemplate: {
    status: 400,
    parent: 'Invalid',
    message: 'Deploy template invalid: {err}.',
  },
  InvalidNodeInventory: {
    status: 400,
    parent: 'Invalid',
    message: 'Inventory for node {node} is invalid: {reason}',
  },
  BootModeNotAllowed: {
    status: 400,
    parent: 'Invalid',
    message: "'{mode}' boot mode is not allowed for {op} operation.",
  },

  // Conflicts.
  InvalidState: { status: 409, parent: 'Conflict', message: '{err}' },
  /** A port that cannot join (or stay in) its portgroup: standalone ports, physical networks. */
  PortgroupConflict: { status: 409, parent: 'Conflict', message: '{err}' },
  NodeLocked: {
    status: 409,
    parent: 'Conflict',
    retryable: true,
    message:
      'Node {node} is locked by host {host}, please retry after the current operation is completed.',
  },
  NodeAssociated: {
    status: 409,
    parent: 'InvalidState',
    message: 'Node {node} is associated with instance {instance}.',
  },
  PowerStateFailure: {
    status: 409,
    parent: 'InvalidState',
    message: 'Failed to set node power state to {pstate}.',
  },
  NodeAlreadyExists: {
    status: 409,
    parent: 'Conflict',
    message: 'A node with UUID {uuid} already exists.',
  },
  DuplicateName: {
    status: 409,
    parent: 'Conflict',
    message: 'A node with name {name} already exists.',
  },
  InstanceAssociated: {
    status: 409,
    parent: 'Conflict',
    message:
      'Instance {instance_uuid} is already associated with a node, it cannot be associated with this other node {node}',
  },
  MACAlreadyExists: {
    status: 409,
    parent: 'Conflict',
    message: 'A port with MAC address {mac} already exists.',
  },
  PortAlreadyExists: {
    status: 409,
    parent: 'Conflict',
    message: 'A port with UUID {uuid} already exists.',
  },
  PortDuplicateName: {
    status: 409,
    parent: 'Conflict',
    message: 'A port with name {name} already exists.',
  },
  PortgroupAlreadyExists: {
    status: 409,
    parent: 'Conflict',
    message: 'A portgroup with UUID {uuid} already exists.',
  },
  PortgroupDuplicateName: {
    status: 409,
    parent: 'Conflict',
    message: 'A portgroup with name {name} already exists.',
  },
  PortgroupMACAlreadyExists: {
    status: 409,
    parent: 'Conflict',
    message: 'A portgroup with MAC address {mac} already exists.',
  },
  ChassisAlreadyExists: {
    status: 409,
    parent: 'Conflict',
    message: 'A chassis with UUID {uuid} already exists.',
  },
  VolumeConnectorAlreadyExists: {
    status: 409,
    parent: 'Conflict',
    message: 'A volume connector with UUID {uuid} already exists.',
  },
  VolumeConnectorTypeAndIdAlreadyExists: {
    status: 409,
    parent: 'Conflict',
    message: 'A volume connector with type {type} and connector ID {connector_id} already exists.',
  },
  VolumeTargetAlreadyExists: {
    status: 409,
    parent: 'Conflict',
    message: 'A volume target with UUID {uuid} already exists.',
  },
  VolumeTargetBootIndexAlreadyExists: {
    status: 409,
    parent: 'Conflict',
    message: "A volume target with boot index '{boot_index}' for the same node already exists.",
  },
  VifAlreadyAttached: {
    status: 409,
    parent: 'Conflict',
    message:
      'Unable to attach VIF because VIF {vif} is already attached to Ironic {object_type} {object_uuid}',
  },
  VifInvalidForAttach: {
    status: 409,
    parent: 'Conflict',
    message: 'Unable to attach VIF {vif} to node {node}. Reason: {reason}',
  },
  AllocationAlreadyExists: {
    status: 409,
    parent: 'Conflict',
    message: 'An allocation with UUID {uuid} already exists.',
  },
  AllocationDuplicateName: {
    status: 409,
    parent: 'Conflict',
    message: 'An allocation with name {name} already exists.',
  },
  DeployTemplateAlreadyExists: {
    status: 409,
    parent: 'Conflict',
    message: 'A deploy template with UUID {uuid} already exists.',
  },
  DeployTemplateDuplicateName: {
    status: 409,
    parent: 'Conflict',
    message: 'A deploy template with name {name} already exists.',
  },

  // Not found.
  NodeNotFound: { status: 404, parent: 'NotFound', message: 'Node {node} could not be found.' },
  PortNotFound: { status: 404, parent: 'NotFound', message: 'Port {port} could not be found.' },
  PortgroupNotFound: {
    status: 404,
    parent: 'NotFound',
    message: 'Portgroup {portgroup} could not be found.',
  },
  ChassisNotFound: {
    status: 404,
    parent: 'NotFound',
    message: 'Chassis {chassis} could not be found.',
  },
  VolumeConnectorNotFound: {
    status: 404,
    parent: 'NotFound',
    message: 'Volume connector {connector} could not be found.',
  },
  VolumeTargetNotFound: {
    status: 404,
    parent: 'NotFound',
    message: 'Volume target {target} could not be found.',
  },
  ConductorNotFound: {
    status: 404,
    parent: 'NotFound',
    message: 'Conductor {conductor} could not be found.',
  },
  DriverNotFound: {
    status: 404,
    parent: 'NotFound',
    message: 'Could not find the following driver(s) or hardware type(s): {driver_name}.',
  },
  ImageNotFound: {
    status: 404,
    parent: 'NotFound',
    message: 'Image {image_id} could not be found.',
  },
  NodeTraitNotFound: {
    status: 404,
    parent: 'NotFound',
    message: "Node {node_id} doesn't have a trait '{trait}'",
  },
  AllocationNotFound: {
    status: 404,
    parent: 'NotFound',
    message: 'Allocation {allocation} could not be found.',
  },
  DeployTemplateNotFound: {
    status: 404,
    parent: 'NotFound',
    message: 'Deploy template {template} could not be found.',
  },
  NodeHistoryNotFound: {
    status: 404,
    parent: 'NotFound',
    message: 'Node history record {history} could not be found.',
  },
  NodeInventoryNotFound: {
    status: 404,
    parent: 'NotFound',
    message: 'Node inventory record for node {node} could not be found.',
  },
  BIOSSettingNotFound: {
    status: 404,
    parent: 'NotFound',
    message: "Node {node} doesn't have a BIOS setting '{name}'",
  },

  // Capacity.
  NoFreeConductorWorker: {
    status: 503,
    parent: 'TemporaryFailure',
    retryable: true,
    message: 'Requested action cannot be performed due to lack of free conductor workers.',
  },
  ConcurrentActionLimit: {
    status: 503,
    parent: 'TemporaryFailure',
    retryable: true,
    message:
      'Unable to process request at this time. The concurrent action limit for {task_type} has been reached. Please contact your administrator and try again later.',
  },

  // Failures of the hardware, the agent or the service.
  InstanceDeployFailure: { status: 500, message: 'Failed to deploy instance: {reason}' },
  InstanceRescueFailure: {
    status: 500,
    message: 'Failed to rescue instance {instance} for node {node}: {reason}',
  },
  InstanceUnrescueFailure: {
    status: 500,
    message: 'Failed to unrescue instance {instance} for node {node}: {reason}',
  },
  ImageUnacceptable: { status: 500, message: 'Image {image_id} is unacceptable: {reason}' },
  InvalidImage: {
    status: 500,
    parent: 'ImageUnacceptable',
    message: 'The requested image is not valid for use.',
  },
  ImageChecksumError: {
    status: 500,
    parent: 'InvalidImage',
    message: 'The supplied image checksum is invalid or does not match.',
  },
  ImageRefValidationFailed: {
    status: 500,
    message: 'Validation of image href {image_href} failed, reason: {reason}',
  },
  ImageDownloadFailed: {
    status: 500,
    retryable: true,
    message: 'Failed to download image {image_href}, reason: {reason}',
  },
  NoDriversLoaded: {
    status: 500,
    message: 'Conductor {conductor} cannot be started because no hardware types were loaded.',
  },
  ConductorAlreadyRegistered: { status: 500, message: 'Conductor {conductor} already registered.' },
  ConfigInvalid: { status: 500, message: 'Invalid configuration file. {error_msg}' },
  DriverLoadError: {
    status: 500,
    message: 'Driver, hardware type or interface {driver} could not be loaded. Reason: {reason}.',
  },
  DriverOperationError: {
    status: 500,
    message: 'Runtime driver {driver} failure. Reason: {reason}.',
  },
  VendorPassthruException: { status: 500, message: '{err}' },
  IPMIFailure: { status: 500, retryable: true, message: 'IPMI call failed: {cmd}.' },
  RedfishError: {
    status: 500,
    parent: 'DriverOperationError',
    message: 'Redfish exception occurred. Error: {error}',
  },
  RedfishConnectionError: {
    status: 500,
    parent: 'RedfishError',
    retryable: true,
    message: 'Redfish connection failed for node {node}: {error}',
  },
  ConsoleError: { status: 500, message: '{err}' },
  ConsoleSubprocessFailed: {
    status: 500,
    parent: 'ConsoleError',
    message: 'Console subprocess failed to start. {error}',
  },
  FailedToGetSensorData: {
    status: 500,
    message: 'Failed to get sensor data for node {node}. Error: {error}',
  },
  FailedToParseSensorData: {
    status: 500,
    message: 'Failed to parse sensor data for node {node}. Error: {error}',
  },
  HardwareInspectionFailure: {
    status: 500,
    message: 'Failed to inspect hardware. Reason: {error}',
  },
  NodeCleaningFailure: { status: 500, message: 'Failed to clean node {node}: {reason}' },
  NodeServicingFailure: { status: 500, message: 'Failed to service node {node}: {reason}' },
  NodeVerifyFailure: { status: 500, message: 'Failed to verify node {node}: {reason}' },
  NetworkError: { status: 500, message: 'Network operation failure. {err}' },
  StorageError: { status: 500, message: 'Storage operation failure. {err}' },
  FailedToUpdateDHCPOptOnPort: {
    status: 500,
    message: 'Update DHCP options on port: {port_id} failed.',
  },
  PortgroupPhysnetInconsistent: {
    status: 500,
    message:
      'Port group {portgroup} has member ports with inconsistent physical networks ({physical_networks}). All ports in a port group must have the same physical network.',
  },
  AgentAPIError: {
    status: 500,
    message: 'Agent API for node {node} returned HTTP status code {status} with error: {error}',
  },
  AgentConnectionFailed: {
    status: 500,
    retryable: true,
    message: 'Connection to agent failed: {reason}',
  },
  AgentCommandTimeout: {
    status: 500,
    retryable: true,
    message: 'Timeout executing command {command} on node {node}',
  },
  AgentInProgress: {
    status: 500,
    retryable: true,
    message:
      'Node {node} command "{command}" failed. Agent is presently executing a command. Error {error}',
  },
  AllocationFailed: { status: 500, message: 'Failed to process allocation {uuid}: {error}.' },
} as const satisfies Record<string, ErrorSpec>;
