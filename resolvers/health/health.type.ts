import { Field, ObjectType } from 'type-graphql';

/** Liveness of this node and its database. */
@ObjectType({ description: 'Liveness of this idgraph node and its database.' })
export class Health {
  @Field(() => String, { description: '`ok` when the database answered, `degraded` otherwise.' })
  status!: 'ok' | 'degraded';

  @Field(() => String, { description: 'Database engine behind this node: `postgresql` or `pglite`.' })
  database!: string;

  @Field(() => String, { description: 'idgraph version.' })
  version!: string;
}
