import bcrypt from 'bcryptjs';

/**
 * bcrypt hashing with a failure path that costs the same whether the account exists or not:
 * an unknown email is compared against a dummy hash of the same cost, so response time does not
 * tell which addresses have accounts.
 */
export class Passwords {
  private readonly dummyHash: string;

  constructor(private readonly cost: number) {
    this.dummyHash = bcrypt.hashSync('estate-dummy-password-for-timing', cost);
  }

  hash(password: string): Promise<string> {
    return bcrypt.hash(password, this.cost);
  }

  /** True only when `hash` is given and matches; always does one full bcrypt comparison. */
  async verify(password: string, hash: string | undefined): Promise<boolean> {
    const matches = await bcrypt.compare(password, hash ?? this.dummyHash);
    return hash !== undefined && matches;
  }
}
