import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { KycLinkStatus } from '../../domain/kyc-links/kyc-link.entity.js';
import { connectionOf } from '../common/connection.js';

registerEnumType(KycLinkStatus, { name: 'KycLinkStatus' });

@ObjectType('KycLink', { description: 'A one-time link that lets an applicant start a session.' })
export class KycLinkType {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  batchId!: string;

  @Field(() => ID)
  scenarioId!: string;

  @Field(() => KycLinkStatus)
  status!: KycLinkStatus;

  @Field(() => Date)
  expiresAt!: Date;

  @Field(() => Date, { nullable: true })
  openedAt!: Date | null;

  @Field(() => ID, { nullable: true })
  sessionId!: string | null;

  @Field(() => Date)
  createdAt!: Date;
}

@ObjectType({ description: 'A new link and its token (shown once: it goes into the URL handed to the applicant).' })
export class CreatedKycLink {
  @Field(() => KycLinkType)
  link!: KycLinkType;

  @Field(() => String)
  token!: string;
}

@ObjectType()
export class KycLinkBatch {
  @Field(() => ID)
  batchId!: string;

  @Field(() => [CreatedKycLink])
  links!: CreatedKycLink[];
}

/** `KycLinkConnection`: a page of links. */
export const KycLinkConnection = connectionOf(KycLinkType, 'KycLink');
