import 'reflect-metadata';
import { IsInt, IsString, Max, MinLength, validateSync } from 'class-validator';
import { installValidationMetadataCache } from './validation-metadata-cache.js';

class Visit {
  @IsString() @MinLength(3) village!: string;
  @IsInt() @Max(60) ageMonths!: number;
}

const problems = (o: object) =>
  validateSync(o, { whitelist: true, forbidNonWhitelisted: true })
    .map((e) => [e.property, Object.keys(e.constraints ?? {}).sort()])
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])));

describe('the validation metadata cache', () => {
  it('answers what class-validator answers, call after call', () => {
    const bad = Object.assign(new Visit(), { village: 'Su', ageMonths: 70, extra: 1 });
    const before = problems(bad);
    installValidationMetadataCache();
    installValidationMetadataCache(); // twice is once
    expect(before).toEqual([['ageMonths', ['max']], ['extra', ['whitelistValidation']], ['village', ['minLength']]]);
    expect(problems(bad)).toEqual(before);
    expect(problems(bad)).toEqual(before);
    expect(problems(Object.assign(new Visit(), { village: 'Sukamaju', ageMonths: 12 }))).toEqual([]);
  });

  it('sees rules registered after it was filled, inherited ones included', () => {
    installValidationMetadataCache();
    expect(problems(Object.assign(new Visit(), { village: 'Sukamaju', ageMonths: 12 }))).toEqual([]);
    class FollowUp extends Visit {
      @IsString() note!: string;
    }
    expect(problems(Object.assign(new FollowUp(), { village: 'Su', ageMonths: 12 }))).toEqual([['note', ['isString']], ['village', ['minLength']]]);
    expect(problems(Object.assign(new Visit(), { village: 'Sukamaju', ageMonths: 12, note: 'x' }))).toEqual([['note', ['whitelistValidation']]]);
    // A rule added to a class already looked up (as registerDecorator may) counts from then on.
    class Weighing {
      @IsInt() grams!: number;
    }
    expect(problems(Object.assign(new Weighing(), { grams: 9000, kader: 'x' }))).toEqual([['kader', ['whitelistValidation']]]);
    IsString()(Weighing.prototype, 'kader');
    expect(problems(Object.assign(new Weighing(), { grams: 9000, kader: 'x' }))).toEqual([]);
  });
});
