import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { FaceListKind } from '../../domain/face-lists/face-list.entity.js';

registerEnumType(FaceListKind, { name: 'FaceListKind', description: 'BLACKLIST blocks; CUSTOMERS recognises returning customers.' });

@ObjectType('FaceList')
export class FaceListType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => FaceListKind)
  kind!: FaceListKind;

  @Field(() => Int, { description: 'Number of faces on the list.' })
  size!: number;
}

@ObjectType('FaceListEntry')
export class FaceListEntryType {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  listId!: string;

  @Field(() => ID)
  faceId!: string;

  @Field(() => String, { nullable: true })
  reason!: string | null;

  @Field(() => Date)
  createdAt!: Date;
}
