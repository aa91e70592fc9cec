package dev.shipgate.shipments;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

@Entity
@Table(name = "addresses")
public class Address {

    @Id
    private UUID id;
    @Column(name = "easypost_id", columnDefinition = "text")
    private String easypostId;
    @Column(columnDefinition = "text")
    private String name;
    @Column(columnDefinition = "text")
    private String company;
    @Column(columnDefinition = "text")
    private String street1;
    @Column(columnDefinition = "text")
    private String street2;
    @Column(columnDefinition = "text")
    private String city;
    @Column(columnDefinition = "text")
    private String state;
    @Column(columnDefinition = "text")
    private String zip;
    @Column(columnDefinition = "text")
    private String country;
    @Column(columnDefinition = "text")
    private String phone;
    @Column(columnDefinition = "text")
    private String email;
    private Boolean residential;
    private boolean verified;
    @Column(name = "created_at", insertable = false, updatable = false)
    private OffsetDateTime createdAt;

    protected Address() {
    }

    public Address(UUID id, String easypostId, String name, String company, String street1, String street2,
                   String city, String state, String zip, String country, String phone, String email,
                   Boolean residential, boolean verified) {
        this.id = id;
        this.easypostId = easypostId;
        this.name = name;
        this.company = company;
        this.street1 = street1;
        this.street2 = street2;
        this.city = city;
        this.state = state;
        this.zip = zip;
        this.country = country;
        this.phone = phone;
        this.email = email;
        this.residential = residential;
        this.verified = verified;
    }

    public UUID getId() {
        return id;
    }

    public String getEasypostId() {
        return easypostId;
    }

    public String getName() {
        return name;
    }

    public String getCompany() {
        return company;
    }

    public String getStreet1() {
        return street1;
    }

    public String getStreet2() {
        return street2;
    }

    public String getCity() {
        return city;
    }

    public String getState() {
        return state;
    }

    public String getZip() {
        return zip;
    }

    public String getCountry() {
        return country;
    }

    public String getPhone() {
        return phone;
    }

    public String getEmail() {
        return email;
    }

    public Boolean getResidential() {
        return residential;
    }

    public boolean isVerified() {
        return verified;
    }
}
