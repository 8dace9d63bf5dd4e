import { BoundedJSONObject } from '../common/json-object.scalar.js';
import { Field, Float, ID, Int, ObjectType } from 'type-graphql';

@ObjectType('Face', { description: 'A face found on a capture.' })
export class FaceType {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  sessionId!: string;

  @Field(() => ID)
  captureId!: string;

  @Field(() => BoundedJSONObject, { description: 'Box in pixels of the capture: x, y, width, height.' })
  box!: Record<string, number>;

  @Field(() => Int, { description: 'Shorter side of the box, in pixels.' })
  size!: number;

  @Field(() => Float)
  detectorScore!: number;

  @Field(() => Boolean, { description: 'False for faces under 30×30 px: they are not searchable.' })
  searchable!: boolean;

  @Field(() => Float, { nullable: true })
  age!: number | null;

  @Field(() => String, { nullable: true })
  gender!: string | null;

  @Field(() => Float, { nullable: true, description: 'Anti-spoofing live probability, 0..1.' })
  livenessScore!: number | null;

  @Field(() => Date)
  createdAt!: Date;
}

@ObjectType('SimilarSession', { description: 'Another session in which the same person appears.' })
export class SimilarSessionType {
  @Field(() => ID)
  sessionId!: string;

  @Field(() => ID, { description: 'The matching face in that session.' })
  faceId!: string;

  @Field(() => Float, { description: 'Cosine similarity of the two faces.' })
  similarity!: number;
}
