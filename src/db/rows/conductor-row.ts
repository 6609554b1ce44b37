import type { Selectable } from 'kysely';
import type { Conductor, ConductorInterface } from '../../common/records.ts';
import { bool, date } from '../codec.ts';
import type { ConductorHardwareInterfacesTable, ConductorsTable } from '../schema.ts';

export function conductorInterfaceFromRow(
  row: Selectable<ConductorHardwareInterfacesTable>,
): ConductorInterface {
  return {
    hardwareType: row.hardware_type,
    interfaceType: row.interface_type,
    interfaceName: row.interface_name,
    isDefault: bool(row.is_default),
  };
}

export function conductorFromRow(
  row: Selectable<ConductorsTable>,
  interfaces: ConductorInterface[],
): Conductor {
  return {
    hostname: row.hostname,
    conductorGroup: row.conductor_group,
    online: bool(row.online),
    drivers: JSON.parse(row.drivers) as string[],
    interfaces,
    createdAt: date(row.created_at),
    updatedAt: date(row.updated_at),
  };
}
