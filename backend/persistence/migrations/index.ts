/**
 * `persistence/migrations/` owns the schema, as numbered migrations.
 *
 * Every schema migration, in order: the one source of truth for the schema.
 * Add a migration by adding a file `NNN-name.ts` and listing it here.
 */
import type { Migration } from '../migrate.ts';
import { migration001 } from './001-initial.ts';
import { migration002 } from './002-events-by-type.ts';
import { migration003 } from './003-plans.ts';

export const MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003];
