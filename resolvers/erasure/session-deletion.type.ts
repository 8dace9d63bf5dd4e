import { Field, ID, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'An erased capture as the tombstone keeps it: its id and the SHA-256 of the image, nothing read from it.' })
export class ErasedCaptureType {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'SHA-256 (hex) of the image that was erased.' })
  sha256!: string;

  @Field(() => Int)
  byteSize!: number;

  @Field(() => Date)
  createdAt!: Date;
}

@ObjectType({ description: 'What `deleteSession` erased: the tombstone of the session.' })
export class SessionDeletionType {
  @Field(() => ID)
  sessionId!: string;

  @Field(() => Date)
  deletedAt!: Date;

  @Field(() => [ErasedCaptureType])
  captures!: ErasedCaptureType[];

  @Field(() => Int, { description: 'Faces (with their embeddings) erased.' })
  faceCount!: number;

  @Field(() => Int, { description: 'Face-list memberships of those faces erased.' })
  faceListEntryCount!: number;
}
