import { Field, Float, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'One group of a report aggregate.' })
export class ReportCountType {
  @Field(() => String, { description: 'The status, scenario id, day (YYYY-MM-DD), warning code or reject label.' })
  key!: string;

  @Field(() => Int)
  count!: number;
}

@ObjectType({ description: 'Aggregates over every session a report filter selects.' })
export class ReportAggregatesType {
  @Field(() => Int)
  total!: number;

  @Field(() => [ReportCountType])
  byStatus!: ReportCountType[];

  @Field(() => [ReportCountType], { description: 'Keyed by scenario id.' })
  byScenario!: ReportCountType[];

  @Field(() => [ReportCountType], { description: 'Sessions created on each day of the time zone asked for, oldest first.' })
  byDay!: ReportCountType[];

  @Field(() => [ReportCountType], { description: 'Sessions carrying each warning code.' })
  byWarningCode!: ReportCountType[];

  @Field(() => [ReportCountType], { description: 'Sessions carrying each reject label.' })
  byRejectLabel!: ReportCountType[];

  @Field(() => Float, { nullable: true, description: 'Median seconds from creation to decision of the decided sessions.' })
  medianSecondsToDecision!: number | null;
}
