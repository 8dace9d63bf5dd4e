import { Field, ID, ObjectType } from 'type-graphql';

@ObjectType('ApiToken', { description: 'A partner token. The secret is shown once, at creation.' })
export class ApiTokenType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'Visible start of the token (`idg_<prefix>_…`).' })
  prefix!: string;

  @Field(() => [String])
  scopes!: string[];

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => Date, { nullable: true })
  expiresAt!: Date | null;

  @Field(() => Date, { nullable: true })
  lastUsedAt!: Date | null;

  @Field(() => Date, { nullable: true })
  revokedAt!: Date | null;
}

@ObjectType()
export class CreateApiTokenPayload {
  @Field(() => ApiTokenType)
  token!: ApiTokenType;

  @Field(() => String, { description: 'The secret: store it now, it is never shown again.' })
  secret!: string;
}
