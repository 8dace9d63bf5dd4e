import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { UserRole } from '../../domain/users/user.entity.js';

registerEnumType(UserRole, { name: 'UserRole' });

/** Where an operator stands: invited (no password yet), active, or disabled. */
export enum OperatorStatus {
  INVITED = 'INVITED',
  ACTIVE = 'ACTIVE',
  DISABLED = 'DISABLED',
}
registerEnumType(OperatorStatus, { name: 'OperatorStatus' });

@ObjectType('Operator')
export class OperatorType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  email!: string;

  @Field(() => UserRole)
  role!: UserRole;

  @Field(() => OperatorStatus)
  status!: OperatorStatus;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  lastLoginAt!: Date | null;
}

/** The API shape of an operator (STYLE §2: never the entity itself). */
export function toOperator(user: { id: string; email: string; role: UserRole; passwordHash?: string | null; createdAt: Date; lastLoginAt?: Date | null; disabledAt?: Date | null }): OperatorType {
  const status = user.disabledAt ? OperatorStatus.DISABLED : user.passwordHash ? OperatorStatus.ACTIVE : OperatorStatus.INVITED;
  return { id: user.id, email: user.email, role: user.role, status, createdAt: user.createdAt, lastLoginAt: user.lastLoginAt ?? null };
}
