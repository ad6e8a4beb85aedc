// Baseline B_http: bare NestJS on the same adapter (Express), one GET returning constant JSON,
// no guards, no validation, no logging. Decorators are applied by hand: this file is plain JS.
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

class PingController {
  ping() {
    return { ok: true };
  }
}
Get('ping')(PingController.prototype, 'ping', Object.getOwnPropertyDescriptor(PingController.prototype, 'ping'));
Controller()(PingController);

class BareModule {}
Module({ controllers: [PingController] })(BareModule);

const app = await NestFactory.create(BareModule, { logger: false });
await app.listen(Number(process.env.PORT));
