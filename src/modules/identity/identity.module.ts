import { createSecretKey } from 'node:crypto';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '../../config/app-config.js';
import { AdminBootstrap } from './admin-bootstrap.js';
import { AuthCache } from './auth-cache.js';
import { AuthController } from './auth.controller.js';
import { AuthGuard } from './auth.guard.js';
import { AuthService } from './auth.service.js';
import { LoginRateLimiter } from './login-rate-limiter.js';
import { PasswordHasher } from './password-hasher.js';
import { UserEntity } from './user.entity.js';
import { UsersDirectory } from './users.directory.js';
import { UsersRepository } from './users.repository.js';

/**
 * Authentication and the users table. The users module (admin management) builds on the
 * repository and hasher exported here; together they are the one door to `users`.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([UserEntity]),
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        // A KeyObject made once: with a string secret jsonwebtoken rebuilds it on every call (~30x slower).
        const key = createSecretKey(Buffer.from(config.jwtSecret, 'utf8'));
        return { secretOrKeyProvider: () => key, signOptions: { algorithm: 'HS256' } };
      },
    }),
  ],
  controllers: [AuthController],
  providers: [
    AuthService,
    PasswordHasher,
    UsersRepository,
    UsersDirectory,
    AdminBootstrap,
    LoginRateLimiter,
    AuthCache,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [AuthService, UsersRepository, UsersDirectory, PasswordHasher, AuthCache],
})
export class IdentityModule {}
