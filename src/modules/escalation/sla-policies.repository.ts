import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { type EntityManager, In, Repository } from 'typeorm';
import { SlaPolicyEntity } from './sla-policy.entity.js';

/** The only door to sla_policies. */
@Injectable()
export class SlaPoliciesRepository {
  constructor(@InjectRepository(SlaPolicyEntity) private readonly repo: Repository<SlaPolicyEntity>) {}

  find(regencyCode: string, em: EntityManager = this.repo.manager): Promise<SlaPolicyEntity | null> {
    return em.getRepository(SlaPolicyEntity).findOneBy({ regencyCode });
  }

  findMany(regencyCodes: string[], em: EntityManager = this.repo.manager): Promise<SlaPolicyEntity[]> {
    return em.getRepository(SlaPolicyEntity).findBy({ regencyCode: In(regencyCodes) });
  }

  async save(policy: SlaPolicyEntity): Promise<void> {
    await this.repo.save(policy);
  }
}
