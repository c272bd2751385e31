import pytest
pytestmark = pytest.mark.django_db
def test_demo():
    from lentera.web.cases.demo import load_demo
    from lentera.web.contacts.models import Contact
    from lentera.web.outreach.models import OutreachActivity
    load_demo(scale=0.05)
    n = Contact.objects.count()
    conv = Contact.objects.filter(case__isnull=False).count()
    miss = Contact.objects.filter(missing_person=True, status="open").count()
    print("contacts", n, "converted", conv, "missing open", miss, "outreach", OutreachActivity.objects.count())
    assert n == 40 and conv >= 5 and miss >= 1 and OutreachActivity.objects.count() == 25
